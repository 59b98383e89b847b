package dev.kos.allocator.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What the shell must carry out after one event: offers to send, offers to rescind, tasks approved to
 * launch, tasks lost with their agent, and rejections to report.
 */
public record Decisions(
    List<Offer> offers,
    List<Rescind> rescinds,
    List<Launch> launches,
    List<Launch> lostTasks,
    List<Rejection> rejections) {

  public static final Decisions NONE = new Decisions(List.of(), List.of(), List.of(), List.of(), List.of());

  public Decisions {
    offers = List.copyOf(offers);
    rescinds = List.copyOf(rescinds);
    launches = List.copyOf(launches);
    lostTasks = List.copyOf(lostTasks);
    rejections = List.copyOf(rejections);
  }

  public boolean isEmpty() {
    return offers.isEmpty() && rescinds.isEmpty() && launches.isEmpty() && lostTasks.isEmpty()
        && rejections.isEmpty();
  }

  /** Collects decisions while one event is handled. */
  static final class Builder {
    final List<Offer> offers = new ArrayList<>();
    final List<Rescind> rescinds = new ArrayList<>();
    final List<Launch> launches = new ArrayList<>();
    final List<Launch> lostTasks = new ArrayList<>();
    final List<Rejection> rejections = new ArrayList<>();

    Decisions build() {
      return new Decisions(offers, rescinds, launches, lostTasks, rejections);
    }
  }
}
