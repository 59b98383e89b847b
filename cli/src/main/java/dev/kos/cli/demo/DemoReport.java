package dev.kos.cli.demo;

/**
 * What the demo showed, step by step, for its summary and for the test that runs it.
 *
 * @param traffic the web load of step 2, as the client counted its answers
 * @param accessLines access-log lines of the web app on kos.logs before the rollup
 * @param rolledUpRequests requests in the Cassandra rollup of the web app
 * @param rolledUp2xx the rollup's 2xx answers
 * @param rolledUp4xx the rollup's 4xx answers
 * @param rolledUp5xx the rollup's 5xx answers
 * @param scaledTo running instances after `kos app scale`
 * @param autoscaledFrom the autoscaler's decision: from
 * @param autoscaledTo the autoscaler's decision: to (and the running instances it led to)
 * @param jobWaiting why the batch job waited while the cluster was busy
 * @param jobFinished whether the job then ran to FINISHED
 * @param dbStarts what the stateful service counted on its volume after its restart (2: the data survived)
 * @param dbSameAgent whether it came back on the agent that holds its volume
 * @param helloRanAs how the small service of the last step ran: "container" (runc) or "process"
 */
record DemoReport(Traffic.Outcome traffic, long accessLines, long rolledUpRequests, long rolledUp2xx,
    long rolledUp4xx, long rolledUp5xx, int scaledTo, int autoscaledFrom, int autoscaledTo, String jobWaiting,
    boolean jobFinished, int dbStarts, boolean dbSameAgent, String helloRanAs) {
}
