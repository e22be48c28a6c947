package io.hepaloop.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = HepaLoop.class.getPackage().getImplementationVersion();
    return new String[] {"hepaloop " + (v == null ? "dev" : v)};
  }
}
