package dev.weir.engine.git;

import java.util.Objects;

/**
 * Who authors the commits Weir writes: a name and an e-mail address, as in Git's user.name/email.
 */
public record GitIdentity(String name, String email) {
  public GitIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(email, "email");
    if (name.isBlank() || email.isBlank()) {
      throw new IllegalArgumentException("a Git identity needs a name and an e-mail address");
    }
  }
}
