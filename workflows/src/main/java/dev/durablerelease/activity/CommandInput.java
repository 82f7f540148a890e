package dev.durablerelease.activity;

import dev.durablerelease.spec.LimitsSpec;
import dev.durablerelease.contract.ArtifactRef;
import java.util.List;
import java.util.Map;

/**
 * A project command run on an unpacked source archive.
 *
 * @param stage the stage id, used to name the log
 * @param archive the source archive to unpack (from the store, by digest)
 * @param topFolder the archive's single top folder, where the command starts
 * @param command shell command line
 * @param timeout wall-clock limit (spec syntax, e.g. {@code 30m})
 * @param env the only extra variables the command sees
 * @param outputs folders the command must produce, relative to the top folder (docs); empty for tests
 * @param formats archive formats for each output folder
 * @param outputName base name of the output archives, e.g. {@code hello-2.1.0-docs}
 * @param commitTime timestamp given to every entry of the output archives
 * @param resume whether a result of an earlier run with identical inputs may be reused
 * @param limits the spec's sandbox limits, or null for the defaults
 * @param project the project, whose ceilings in the operator's policy cap the limits
 */
public record CommandInput(
    String stage,
    ArtifactRef archive,
    String topFolder,
    String command,
    String timeout,
    Map<String, String> env,
    List<String> outputs,
    List<String> formats,
    String outputName,
    long commitTime,
    boolean resume,
    LimitsSpec limits,
    String project) {}
