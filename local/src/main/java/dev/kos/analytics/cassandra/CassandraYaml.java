package dev.kos.analytics.cassandra;

/**
 * The generated {@code cassandra.yaml}: one node on loopback, one token, no authentication, and
 * caches sized for a small heap. Everything else is Cassandra's default.
 */
final class CassandraYaml {

  static final String CLUSTER_NAME = "kos-analytics";
  /** The data center SimpleSnitch puts the node in; clients name it as their local one. */
  static final String DATACENTER = "datacenter1";

  private CassandraYaml() {}

  static String render(CassandraLayout layout, NodePorts ports) {
    String storage = layout.storage().toString();
    return """
        cluster_name: '%s'
        num_tokens: 1
        initial_token: 0
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        commitlog_sync: periodic
        commitlog_sync_period: 10000ms
        commitlog_segment_size: 8MiB
        data_file_directories:
          - %s/data
        commitlog_directory: %s/commitlog
        saved_caches_directory: %s/saved_caches
        hints_directory: %s/hints
        cdc_raw_directory: %s/cdc_raw
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "127.0.0.1:%d"
        listen_address: 127.0.0.1
        rpc_address: 127.0.0.1
        storage_port: %d
        native_transport_port: %d
        start_native_transport: true
        endpoint_snitch: SimpleSnitch
        authenticator: AllowAllAuthenticator
        authorizer: AllowAllAuthorizer
        # Small caches: the node shares a small machine with the rest of kos.
        key_cache_size: 8MiB
        counter_cache_size: 0MiB
        file_cache_size: 32MiB
        networking_cache_size: 16MiB
        concurrent_compactors: 1
        """.formatted(CLUSTER_NAME, storage, storage, storage, storage, storage,
            ports.storage(), ports.storage(), ports.cql());
  }
}
