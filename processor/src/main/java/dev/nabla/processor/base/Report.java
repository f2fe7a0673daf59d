package dev.nabla.processor.base;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;

/**
 * The findings of one stage: validators and builders add items and never throw; the processor
 * prints the report and generates code only when it holds no errors. Identical findings (a block
 * used several times repeats its mistakes) are kept once.
 */
public final class Report {
  private final Set<Finding> findings = new LinkedHashSet<>();

  public void add(Finding finding) {
    findings.add(finding);
  }

  public void error(Message message, Location where, Object... args) {
    add(new Finding(message, where, message.format(args)));
  }

  public boolean hasErrors() {
    for (Finding f : findings) {
      if (f.message().kind() == Diagnostic.Kind.ERROR) return true;
    }
    return false;
  }

  public List<Finding> findings() {
    return List.copyOf(findings);
  }

  public void printTo(Messager messager) {
    for (Finding f : findings) f.where().print(messager, f.message().kind(), f.text());
  }

  /** One finding: the kind of mistake, where it is, and the formatted text. */
  public record Finding(Message message, Location where, String text) {}
}
