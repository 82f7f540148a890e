package dev.durablerelease.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

/**
 * The person at the terminal, when there is one: {@code release run} asks them what to do when the release blocks or
 * waits for approval. Without a terminal there is nobody to ask.
 */
final class Operator {
  private final BufferedReader in;
  private final PrintWriter out;
  private final String name;

  private Operator(BufferedReader in, PrintWriter out, String name) {
    this.in = in;
    this.out = out;
    this.name = name;
  }

  /** An operator answering on {@code in}; {@code in} null means no terminal. */
  static Operator of(BufferedReader in, PrintWriter out, Map<String, String> env) {
    String user = env.getOrDefault("USER", env.getOrDefault("LOGNAME", ""));
    return new Operator(in, out, user.isBlank() ? "operator" : user);
  }

  boolean present() {
    return in != null;
  }

  String name() {
    return name;
  }

  /** Asks until one of the choices' first letters is answered; returns the choice. */
  String choose(String question, String... choices) throws IOException {
    while (true) {
      out.print(question + " [" + String.join("/", choices) + "] ");
      out.flush();
      String answer = in.readLine();
      if (answer == null) {
        return choices[choices.length - 1];
      }
      for (String choice : choices) {
        if (!answer.isBlank() && choice.startsWith(answer.trim().toLowerCase(java.util.Locale.ROOT))) {
          return choice;
        }
      }
    }
  }
}
