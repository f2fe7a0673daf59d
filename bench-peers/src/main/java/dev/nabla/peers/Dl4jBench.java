package dev.nabla.peers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * mlp_wide in Deeplearning4j (ND4J native CPU backend). Threads: OpenMP reads OMP_NUM_THREADS when
 * the native library loads, so {@code --threads 1} only checks that the launcher set it; the
 * count ND4J reports is what goes into the JSON line.
 */
public final class Dl4jBench {
  private Dl4jBench() {}

  public static void main(String[] args) {
    int runs = PeerTiming.option(args, "runs", 30);
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(0)
        .dataType(DataType.FLOAT)
        .updater(new Adam(1e-3)) // β1 0.9, β2 0.999, ε 1e-8 as torch
        .weightInit(WeightInit.XAVIER)
        .list()
        .layer(new DenseLayer.Builder().nIn(784).nOut(512).activation(Activation.RELU).build())
        .layer(new DenseLayer.Builder().nIn(512).nOut(512).activation(Activation.RELU).build())
        // softmax + multi-class cross-entropy is DL4J's softmax cross-entropy (it fuses the gradient)
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(512).nOut(10)
            .activation(Activation.SOFTMAX).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();

    Nd4j.getRandom().setSeed(0);
    INDArray x = Nd4j.rand(DataType.FLOAT, PeerTiming.BATCH, 784);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, PeerTiming.BATCH, 10);
    java.util.Random rnd = new java.util.Random(0);
    for (int i = 0; i < PeerTiming.BATCH; i++) labels.putScalar(i, rnd.nextInt(10), 1f);
    INDArray one = x.getRow(0, true).dup();

    int threads = Nd4j.getEnvironment().maxThreads();
    String setting = System.getenv("OMP_NUM_THREADS") == null ? "default" : "OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS");
    String version = "1.0.0-M2.1 (" + Nd4j.getBackend().getClass().getSimpleName() + ")";
    System.out.println(PeerTiming.measure("dl4j", version, net.numParams(), threads, setting,
        () -> net.fit(x, labels), () -> net.output(one, false).close(), runs));
  }
}
