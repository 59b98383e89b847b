package dev.kos.cli.demo;

import java.io.PrintWriter;
import java.io.Writer;

/** Writes through to another writer with every line indented, so a command's output sits under its step. */
final class IndentingWriter extends Writer {

  private final PrintWriter target;
  private final String indent;
  private boolean atLineStart = true;

  IndentingWriter(PrintWriter target, String indent) {
    this.target = target;
    this.indent = indent;
  }

  @Override
  public synchronized void write(char[] buffer, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (atLineStart) {
        target.write(indent);
        atLineStart = false;
      }
      target.write(buffer[i]);
      atLineStart = buffer[i] == '\n';
    }
  }

  @Override
  public void flush() {
    target.flush();
  }

  @Override
  public void close() {
    flush();
  }
}
