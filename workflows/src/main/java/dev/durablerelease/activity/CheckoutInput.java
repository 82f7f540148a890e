package dev.durablerelease.activity;

import dev.durablerelease.spec.ReleaseSpec;

/**
 * What to check out.
 *
 * @param repository git URL or local path
 * @param version the version being released
 * @param tag the tag to resolve
 * @param expectedCommit the commit the tag must resolve to, or null
 * @param spec the validated spec, or null to read {@code release.yaml} from the tagged commit
 * @param resume whether later stages may reuse results of an earlier run with identical inputs
 */
public record CheckoutInput(
    String repository, String version, String tag, String expectedCommit, ReleaseSpec spec, boolean resume) {}
