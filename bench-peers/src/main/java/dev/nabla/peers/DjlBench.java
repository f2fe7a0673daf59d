package dev.nabla.peers;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

/**
 * mlp_wide in DJL on its PyTorch engine (libtorch from the pytorch-native-cpu jar, no download:
 * {@code -Dai.djl.offline=true}). Threads: the launcher sets {@code ai.djl.pytorch.num_threads}
 * (and OMP_NUM_THREADS); the count libtorch reports goes into the JSON line.
 */
public final class DjlBench {
  private DjlBench() {}

  public static void main(String[] args) throws Exception {
    int runs = PeerTiming.option(args, "runs", 30);
    // The natives come from the classpath jar; never fetch them.
    if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    Engine engine = Engine.getEngine("PyTorch");
    SequentialBlock net = new SequentialBlock()
        .add(Linear.builder().setUnits(512).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(512).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(10).build());
    try (NDManager manager = engine.newBaseManager(); Model model = Model.newInstance("mlp_wide", "PyTorch")) {
      model.setBlock(net);
      // softmaxCrossEntropyLoss: log-softmax of logits against sparse labels, mean over the batch.
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(PeerTiming.BATCH, 784));
        manager.getEngine().setRandomSeed(0);
        NDArray x = manager.randomUniform(0, 1, new Shape(PeerTiming.BATCH, 784), DataType.FLOAT32);
        NDArray y = manager.randomInteger(0, 10, new Shape(PeerTiming.BATCH), DataType.INT64);
        NDArray one = x.get("0:1");
        long params = 0;
        for (Pair<String, Parameter> p : net.getParameters()) params += p.getValue().getArray().size();

        Runnable step = () -> {
          // NDScope frees every intermediate array of the step.
          try (NDScope scope = new NDScope(); GradientCollector gc = trainer.newGradientCollector()) {
            NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
            gc.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(out)));
          }
          trainer.step();
        };
        Runnable infer = () -> {
          try (NDScope scope = new NDScope()) {
            trainer.evaluate(new NDList(one)).singletonOrThrow(); // forward with training off
          }
        };
        String setting = System.getProperty("ai.djl.pytorch.num_threads") == null ? "default"
            : "ai.djl.pytorch.num_threads=" + System.getProperty("ai.djl.pytorch.num_threads")
                + ", num_interop_threads=" + System.getProperty("ai.djl.pytorch.num_interop_threads")
                + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS");
        String version = Engine.getDjlVersion() + " (libtorch " + engine.getVersion() + ")";
        System.out.println(PeerTiming.measure("djl-pytorch", version, params, JniUtils.getNumThreads(), setting,
            step, infer, runs));
      }
    }
  }
}
