package dev.kos.bus.json;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.regex.Pattern;

/** Where a value sits in a JSON document, written as a JSONPath such as {@code $.ports[0].begin}. */
record JsonPath(String text) {

  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  static JsonPath root() {
    return new JsonPath("$");
  }

  /** A member of an object; names that are not plain identifiers are quoted: {@code $.labels["rack-1"]}. */
  JsonPath member(String name) {
    return PLAIN_NAME.matcher(name).matches()
        ? new JsonPath(text + "." + name)
        : new JsonPath(text + "[" + TextNode.valueOf(name) + "]");
  }

  JsonPath element(int index) {
    return new JsonPath(text + "[" + index + "]");
  }

  @Override
  public String toString() {
    return text;
  }
}
