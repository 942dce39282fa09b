package dev.weir.engine.analysis;

import java.util.Objects;
import java.util.function.Function;

/** A provider's answer: a value, or the reason there is none. Immutable. */
public sealed interface QueryResult<T> permits QueryResult.Ok, QueryResult.Failed {

  /** The provider answered. */
  record Ok<T>(T value) implements QueryResult<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  /** The provider could not answer. */
  record Failed<T>(ProviderError error) implements QueryResult<T> {
    public Failed {
      Objects.requireNonNull(error, "error");
    }
  }

  static <T> QueryResult<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> QueryResult<T> failed(ProviderError.Reason reason, String message) {
    return new Failed<>(new ProviderError(reason, message));
  }

  /** Transforms the value of an {@code Ok}; a failure is passed on. */
  default <R> QueryResult<R> map(Function<T, R> mapper) {
    return switch (this) {
      case Ok<T> ok -> new Ok<>(mapper.apply(ok.value()));
      case Failed<T> failed -> new Failed<>(failed.error());
    };
  }
}
