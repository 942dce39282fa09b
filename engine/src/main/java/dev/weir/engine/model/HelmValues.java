package dev.weir.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * What an Argo CD Application's {@code source.helm} gives helm, in Argo's order of precedence
 * (later wins): value files of the repository, then inline {@code values}, then {@code
 * parameters}. Weir passes each to {@code helm template} as a values file it writes itself; nothing
 * here ever becomes a flag of its own (decision 0011). Immutable.
 *
 * @param valueFiles paths of the repository, relative to the chart's directory, checked to stay
 *     inside the repository
 * @param values a YAML document of values ("" for none)
 * @param parameters {@code name=value} settings, each name a dotted path of plain keys
 */
public record HelmValues(List<String> valueFiles, String values, List<HelmParameter> parameters) {

  public static final HelmValues NONE = new HelmValues(List.of(), "", List.of());

  public HelmValues {
    valueFiles = List.copyOf(valueFiles);
    values = values == null ? "" : values;
    parameters = List.copyOf(parameters);
  }

  public boolean isEmpty() {
    return valueFiles.isEmpty() && values.isEmpty() && parameters.isEmpty();
  }

  /**
   * One {@code source.helm.parameters} entry.
   *
   * @param name a dotted path of keys ({@code image.tag})
   * @param value the value, typed as helm's {@code --set} types it unless {@code forceString}
   * @param forceString keep the value a string, as {@code --set-string} does
   */
  public record HelmParameter(String name, String value, boolean forceString) {
    public HelmParameter {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }
}
