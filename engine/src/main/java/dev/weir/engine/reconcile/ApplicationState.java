package dev.weir.engine.reconcile;

import dev.weir.engine.cluster.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What must survive a restart of Weir for one application: its freeze, pin and hotfixes, its last
 * sync, and the kinds Weir ever applied for it (where to look for leftovers to prune). Kept in the
 * cluster by {@link ApplicationStateStore}. Immutable.
 */
public record ApplicationState(
    Optional<Freeze> freeze,
    Optional<Pin> pin,
    List<Hotfix> hotfixes,
    Optional<LastSync> lastSync,
    List<ResourceType> inventory) {

  public static final ApplicationState EMPTY =
      new ApplicationState(
          Optional.empty(), Optional.empty(), List.of(), Optional.empty(), List.of());

  public ApplicationState {
    Objects.requireNonNull(freeze, "freeze");
    Objects.requireNonNull(pin, "pin");
    hotfixes = List.copyOf(hotfixes);
    Objects.requireNonNull(lastSync, "lastSync");
    inventory = List.copyOf(inventory);
  }

  public ApplicationState withFreeze(Optional<Freeze> value) {
    return new ApplicationState(value, pin, hotfixes, lastSync, inventory);
  }

  public ApplicationState withPin(Optional<Pin> value) {
    return new ApplicationState(freeze, value, hotfixes, lastSync, inventory);
  }

  public ApplicationState withHotfixes(List<Hotfix> value) {
    return new ApplicationState(freeze, pin, value, lastSync, inventory);
  }

  public ApplicationState withLastSync(LastSync value) {
    return new ApplicationState(freeze, pin, hotfixes, Optional.of(value), inventory);
  }

  /** The inventory with {@code types} added (by group and kind). */
  public ApplicationState withInventory(List<ResourceType> types) {
    List<ResourceType> merged = new ArrayList<>(inventory);
    for (ResourceType type : types) {
      if (merged.stream()
          .noneMatch(t -> t.group().equals(type.group()) && t.kind().equals(type.kind()))) {
        merged.add(type);
      }
    }
    return new ApplicationState(freeze, pin, hotfixes, lastSync, merged);
  }

  /** The active freeze at {@code now}, if any. */
  public Optional<Freeze> activeFreeze(Instant now) {
    return freeze.filter(f -> f.activeAt(now));
  }

  /** The hotfixes still active at {@code now}. */
  public List<Hotfix> activeHotfixes(Instant now) {
    return hotfixes.stream().filter(h -> h.activeAt(now)).toList();
  }
}
