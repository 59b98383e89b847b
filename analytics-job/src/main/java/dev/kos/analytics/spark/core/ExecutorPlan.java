package dev.kos.analytics.spark.core;

import dev.kos.model.OfferView;
import dev.kos.model.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many executors to start on which offers: as many as Spark's target lacks, one per agent in turn so that an
 * application spreads over the cluster (a lost agent then takes few of its executors), each only where the whole
 * executor fits in the unreserved part of the offer. Offers that get no executor are declined.
 */
public final class ExecutorPlan {

  private ExecutorPlan() {
  }

  /**
   * @param target the executors Spark wants in total
   * @param live   the executors launched and not yet ended (running, or on their way)
   * @return per offer id (in the offers' order) the executors to launch there; 0 means decline
   */
  public static Map<String, Integer> place(int target, int live, List<OfferView> offers, ExecutorSize size) {
    Map<String, Integer> launches = new LinkedHashMap<>();
    List<Resources> left = new ArrayList<>();
    for (OfferView offer : offers) {
      launches.put(offer.offerId(), 0);
      left.add(offer.unreserved());
    }
    int missing = Math.max(0, target - live);
    Resources need = size.resources();
    boolean placed = true;
    while (missing > 0 && placed) {
      placed = false;
      for (int i = 0; i < offers.size() && missing > 0; i++) {
        if (left.get(i).containsAll(need)) {
          left.set(i, left.get(i).minus(need));
          launches.merge(offers.get(i).offerId(), 1, Integer::sum);
          missing--;
          placed = true;
        }
      }
    }
    return launches;
  }

  /** Whether the application wants offers at all: it does while it has fewer executors than Spark asks for. */
  public static boolean wantsOffers(int target, int live) {
    return live < target;
  }
}
