package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Weighted Dominant Resource Fairness order over named clients (roles, or the frameworks of one role), kept
 * apart from the allocation loop as Mesos keeps its {@code Sorter}. A client's key is its dominant share of
 * the cluster divided by its weight; ties go by name so the order is deterministic.
 *
 * <p>Changing an allocation costs O(1): the client is only marked, and the next {@link #inOrder()} re-keys the
 * marked clients (O(log clients) each). A client's share may also count what it holds elsewhere
 * ({@link #external}), so that roles are ordered by what they hold across every allocator shard. Tasks ending between rounds thus never touch the tree, and inside a
 * round each offer re-keys just the two clients it charged. A change of the cluster total changes every share,
 * so it marks the whole order stale and the next {@link #inOrder()} re-sorts (clients are few).
 */
final class DrfSorter {

  private static final Comparator<Client> FAIREST_FIRST =
      Comparator.comparingDouble((Client client) -> client.key).thenComparing(client -> client.name);

  private final Map<String, Client> clients = new HashMap<>();
  private final TreeSet<Client> order = new TreeSet<>(FAIREST_FIRST);
  private final List<Client> changed = new ArrayList<>();
  private Resources total = Resources.NONE;
  private boolean stale;

  void add(String name, double weight) {
    if (!clients.containsKey(name)) {
      Client client = new Client(name, weight);
      clients.put(name, client);
      rekey(client);
    }
  }

  void remove(String name) {
    Client client = clients.remove(name);
    if (client != null) {
      order.remove(client);
      changed.remove(client);
    }
  }

  boolean isEmpty() {
    return clients.isEmpty();
  }

  void weight(String name, double weight) {
    Client client = clients.get(name);
    client.weight = weight;
    markChanged(client);
  }

  void allocated(String name, Resources resources) {
    Client client = clients.get(name);
    if (client != null) {
      client.allocation = client.allocation.plus(resources.scalars());
      markChanged(client);
    }
  }

  void unallocated(String name, Resources resources) {
    Client client = clients.get(name);
    if (client != null) {
      client.allocation = client.allocation.minus(resources.scalars());
      markChanged(client);
    }
  }

  Resources allocation(String name) {
    Client client = clients.get(name);
    return client == null ? Resources.NONE : client.allocation;
  }

  /** Sets what the client holds elsewhere (on other allocator shards); it counts in its share, not here. */
  void external(String name, Resources resources) {
    Client client = clients.get(name);
    if (client != null && !client.external.equals(resources.scalars())) {
      client.external = resources.scalars();
      markChanged(client);
    }
  }

  /** What the client holds here and elsewhere: what its share is computed from. */
  Resources globalAllocation(String name) {
    Client client = clients.get(name);
    return client == null ? Resources.NONE : client.allocation.plus(client.external);
  }

  void total(Resources clusterTotal) {
    total = clusterTotal;
    stale = true;
  }

  /** Client names, lowest weighted dominant share first. Do not change the sorter while iterating. */
  Iterable<String> inOrder() {
    if (stale) {
      order.clear();
      clients.values().forEach(this::rekey);
      stale = false;
    } else {
      for (Client client : changed) {
        // The tree still holds the client under its old key, so this removal finds it.
        order.remove(client);
        rekey(client);
      }
    }
    changed.forEach(client -> client.changed = false);
    changed.clear();
    return () -> new Iterator<>() {
      private final Iterator<Client> clientsInOrder = order.iterator();

      @Override
      public boolean hasNext() {
        return clientsInOrder.hasNext();
      }

      @Override
      public String next() {
        return clientsInOrder.next().name;
      }
    };
  }

  private void markChanged(Client client) {
    if (!client.changed) {
      client.changed = true;
      changed.add(client);
    }
  }

  private void rekey(Client client) {
    client.key = client.allocation.plus(client.external).dominantShare(total) / client.weight;
    order.add(client);
  }

  private static final class Client {
    final String name;
    double weight;
    Resources allocation = Resources.NONE;
    Resources external = Resources.NONE;
    double key;
    boolean changed;

    Client(String name, double weight) {
      this.name = name;
      this.weight = weight;
    }
  }
}
