package dev.kos.cli.demo;

import java.nio.file.Path;

/**
 * How the demo runs.
 *
 * @param workDir where it keeps the specs it deploys and the Spark checkpoint
 * @param keyspace the Cassandra keyspace of the rollups
 * @param trafficSeconds how long the first burst of web traffic lasts
 */
record DemoSettings(Path workDir, String keyspace, int trafficSeconds) {
}
