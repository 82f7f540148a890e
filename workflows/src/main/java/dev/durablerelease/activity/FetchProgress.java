package dev.durablerelease.activity;

/**
 * Heartbeat detail of a running git fetch (checkout, or a later stage on a worker that lacks the commit), so that a
 * long fetch shows how far it got.
 *
 * @param repository what is fetched from (credentials removed)
 * @param task git's current step, e.g. {@code Receiving objects} or {@code remote: Counting objects}
 * @param done units of that step done so far
 * @param total units in that step, 0 when unknown
 * @param receivedObjects objects received so far by the activity's fetches
 * @param receivedBytes pack bytes received so far by the activity's fetches
 */
public record FetchProgress(String repository, String task, int done, int total, long receivedObjects,
    long receivedBytes) {}
