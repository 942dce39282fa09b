package dev.weir.tui.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a member that still reaches past the engine's façade, kept only for the commands being
 * moved behind it in parallel ({@code value} names them). The architecture test lets these members
 * through; delete each with its last user (docs/decisions/0019-apps-use-only-the-facade.md).
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
@interface PendingFacade {
  /** The commands that still call it. */
  String value();
}
