package dev.kos.bus.access;

import java.util.List;
import java.util.stream.Collectors;

/** Who a request comes from, as its token proved, and what that principal may do. */
public record Principal(String name, List<Grant> grants) {

  public Principal {
    grants = List.copyOf(grants);
  }

  /** The grants as the token file writes them: {@code web:operate,@all:view}. */
  public String grantsText() {
    return grants.stream().map(Grant::toString).collect(Collectors.joining(","));
  }
}
