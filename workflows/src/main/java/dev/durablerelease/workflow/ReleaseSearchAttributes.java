package dev.durablerelease.workflow;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * Search attributes every release keeps current, so that {@code temporal workflow list --query
 * 'ReleaseStatus="Blocked"'} and the Temporal UI find releases. All are keywords; a real cluster must have them
 * registered ({@code temporal operator search-attribute create --name ReleaseProject --type Keyword}, and so on).
 */
public final class ReleaseSearchAttributes {
  public static final SearchAttributeKey<String> PROJECT = SearchAttributeKey.forKeyword("ReleaseProject");
  public static final SearchAttributeKey<String> VERSION = SearchAttributeKey.forKeyword("ReleaseVersion");
  public static final SearchAttributeKey<String> STAGE = SearchAttributeKey.forKeyword("ReleaseStage");
  public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("ReleaseStatus");

  public static final List<SearchAttributeKey<String>> ALL = List.of(PROJECT, VERSION, STAGE, STATUS);

  private ReleaseSearchAttributes() {}
}
