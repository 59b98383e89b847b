package dev.kos.cli.demo;

/**
 * What the demo showed, step by step, for its summary and for the test that runs it.
 *
 * @param traffic the web load of step 2, as the client counted its answers
 * @param accessLines access-log lines of the web app on kos.logs after the traffic of step 2
 * @param accessLinesByStatus the web app's access-log lines on kos.logs by status class ("2xx" ...) once the rollup
 *     ran (steps 2 and 5 sent them): what the rollup must count
 * @param rolledUpRequests requests in the Cassandra rollup of the web app
 * @param rolledUp2xx the rollup's 2xx answers
 * @param rolledUp4xx the rollup's 4xx answers
 * @param rolledUp5xx the rollup's 5xx answers
 * @param scaledTo running instances after `kos app scale`
 * @param autoscaledFrom the autoscaler's decision: from
 * @param autoscaledTo the autoscaler's decision: to (and the running instances it led to)
 * @param jobWaiting why the rollup's job waited while the cluster was busy
 * @param executorAgents the agents the rollup's Spark executors ran on (kos tasks), one entry per executor
 * @param dbStarts what the stateful service counted on its volume after its restart (2: the data survived)
 * @param dbSameAgent whether it came back on the agent that holds its volume
 * @param helloRanAs how the small service of the last step ran: "container" (runc) or "process"
 */
record DemoReport(Traffic.Outcome traffic, long accessLines, java.util.Map<String, Long> accessLinesByStatus,
    long rolledUpRequests, long rolledUp2xx, long rolledUp4xx, long rolledUp5xx, int scaledTo, int autoscaledFrom,
    int autoscaledTo, String jobWaiting, java.util.List<String> executorAgents, int dbStarts, boolean dbSameAgent,
    String helloRanAs) {
}
