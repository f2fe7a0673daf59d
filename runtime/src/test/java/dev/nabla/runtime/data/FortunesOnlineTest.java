package dev.nabla.runtime.data;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads the real Debian package with apt-get; runs only with {@code -Dnabla.online=true}. */
class FortunesOnlineTest {
  @TempDir Path dir;

  @Test
  void fetchesCachesAndReadsBack() throws Exception {
    assumeTrue(Boolean.getBoolean("nabla.online"), "set -Dnabla.online=true to download Debian's fortunes package");
    String old = System.getProperty("nabla.cache");
    try {
      System.setProperty("nabla.cache", dir.toString());
      Path cache = Fortunes.cacheFile();
      assertEquals(dir.resolve("fortunes/fortunes.txt"), cache);
      List<String> records = Fortunes.fetch(cache);
      assertTrue(records.size() > 10_000, records.size() + " records");
      assertTrue(Files.isRegularFile(cache));
      long chars = records.stream().mapToLong(String::length).sum();
      long distinct = records.stream().flatMapToInt(String::codePoints).distinct().count();
      assertTrue(chars > 1_000_000, chars + " characters");
      assertTrue(records.stream().noneMatch(String::isBlank));
      System.err.println(String.format(Locale.ROOT, "fortunes: %d records, %d characters, %d distinct", records.size(),
          chars, distinct));
      // the corpus as a language model sees it: characters, a 10% held-out split and the unigram baseline
      var split = dev.nabla.runtime.text.TextCorpus.split(records, 0.1, 1);
      String train = dev.nabla.runtime.text.TextCorpus.join(split.train());
      var tokenizer = dev.nabla.runtime.text.CharTokenizer.train(dev.nabla.runtime.text.TextCorpus.join(records));
      int[] trainIds = tokenizer.encode(train);
      int[] devIds = tokenizer.encode(dev.nabla.runtime.text.TextCorpus.join(split.dev()));
      double unigram = dev.nabla.runtime.text.TextCorpus.unigramCrossEntropy(trainIds, devIds, tokenizer.vocabularySize());
      assertTrue(unigram > 2.5 && unigram < Math.log(tokenizer.vocabularySize()), "unigram " + unigram);
      System.err.println(String.format(Locale.ROOT, "fortunes: %d train / %d dev characters, unigram %.4f nats/char",
          trainIds.length, devIds.length, unigram));
      Path nowhere = dir.resolve("none");
      assertEquals(records, Fortunes.records(nowhere, nowhere, cache, d -> {
        throw new AssertionError("the cache must be used");
      }));
      if (Files.isRegularFile(Fortunes.DPKG_LIST)) { // installed here: the same package, so the same records
        assertEquals(records, Fortunes.records());
      }
    } finally {
      if (old == null) System.clearProperty("nabla.cache");
      else System.setProperty("nabla.cache", old);
    }
  }
}
