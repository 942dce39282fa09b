package dev.weir.desktop.console;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * A side-by-side view of the engine's unified diff text (a {@code DriftObject}'s lines, a {@code
 * RevisionDiff}'s): the older side on the left ({@code -}), the newer on the right ({@code +}),
 * unchanged lines on both, changed lines marked and tinted, YAML keys, values and comments
 * highlighted. The text is the engine's, Secret values already redacted; this only lays it out.
 * One list for both sides, so they scroll together. Only used on the JavaFX thread.
 */
final class DiffViewer {
  /** What a row of the side-by-side view shows on each side. */
  enum Kind {
    SAME,
    CHANGED,
    REMOVED,
    ADDED,
    HEADER
  }

  /**
   * One row: the left and right text (empty when that side has no line) and how it changed.
   */
  record Row(String left, String right, Kind kind) {}

  private final VBox root = new VBox(4);
  private final Label leftTitle = new Label();
  private final Label rightTitle = new Label();
  private final ListView<Row> rows = new ListView<>();

  DiffViewer() {
    leftTitle.getStyleClass().add("section-title");
    rightTitle.getStyleClass().add("section-title");
    GridPane titles = new GridPane();
    ColumnConstraints half = new ColumnConstraints();
    half.setPercentWidth(50);
    titles.getColumnConstraints().addAll(half, half);
    titles.add(leftTitle, 0, 0);
    titles.add(rightTitle, 1, 0);
    rows.setId("diff-rows");
    rows.setCellFactory(l -> new RowCell());
    rows.setFixedCellSize(20);
    VBox.setVgrow(rows, Priority.ALWAYS);
    root.getChildren().addAll(titles, rows);
  }

  Node node() {
    return root;
  }

  ListView<Row> rows() {
    return rows;
  }

  /** Shows {@code lines} (unified diff text) with the two sides titled {@code left} and {@code right}. */
  void show(String left, String right, List<String> lines) {
    leftTitle.setText(left);
    rightTitle.setText(right);
    rows.getItems().setAll(sideBySide(lines));
  }

  /**
   * The rows of {@code unified}: {@code ---}/{@code +++}/{@code @@} and text before the first hunk
   * are headers across both sides; a run of removed lines followed by added lines pairs up row by
   * row as changed lines; the rest stands on its own side. Pure.
   */
  static List<Row> sideBySide(List<String> unified) {
    List<Row> out = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    boolean inHunk = false;
    for (String line : unified) {
      if (line.startsWith("---") || line.startsWith("+++") || line.startsWith("@@") || !inHunk && !line.startsWith(" ") && !line.startsWith("-") && !line.startsWith("+")) {
        flush(removed, added, out);
        if (line.startsWith("@@")) {
          inHunk = true;
        } else if (!line.startsWith("---") && !line.startsWith("+++")) {
          inHunk = false;
        }
        out.add(new Row(line, line, Kind.HEADER));
      } else if (line.startsWith("-")) {
        if (!added.isEmpty()) {
          flush(removed, added, out);
        }
        removed.add(line.substring(1));
      } else if (line.startsWith("+")) {
        added.add(line.substring(1));
      } else {
        flush(removed, added, out);
        String text = line.startsWith(" ") ? line.substring(1) : line;
        out.add(new Row(text, text, Kind.SAME));
      }
    }
    flush(removed, added, out);
    return out;
  }

  private static void flush(List<String> removed, List<String> added, List<Row> out) {
    int n = Math.max(removed.size(), added.size());
    for (int i = 0; i < n; i++) {
      String l = i < removed.size() ? removed.get(i) : null;
      String r = i < added.size() ? added.get(i) : null;
      Kind kind = l != null && r != null ? Kind.CHANGED : l != null ? Kind.REMOVED : Kind.ADDED;
      out.add(new Row(l == null ? "" : l, r == null ? "" : r, kind));
    }
    removed.clear();
    added.clear();
  }

  private static final Pattern YAML = Pattern.compile("^(\\s*(?:- )?)([^:#\\s][^:#]*?)(:)(\\s.*|$)");

  /** YAML highlighted: indentation, key, colon and value (a {@code <redacted…>} value marked), comments. */
  static List<Text> highlight(String line) {
    List<Text> out = new ArrayList<>();
    String body = line;
    String comment = "";
    int hash = line.indexOf(" #");
    if (line.stripLeading().startsWith("#")) {
      out.add(styled(line, "yaml-comment"));
      return out;
    }
    if (hash >= 0) {
      body = line.substring(0, hash);
      comment = line.substring(hash);
    }
    Matcher m = YAML.matcher(body);
    if (m.matches()) {
      out.add(styled(m.group(1), "yaml-punct"));
      out.add(styled(m.group(2), "yaml-key"));
      out.add(styled(m.group(3), "yaml-punct"));
      out.add(value(m.group(4)));
    } else {
      out.add(value(body));
    }
    if (!comment.isEmpty()) {
      out.add(styled(comment, "yaml-comment"));
    }
    return out;
  }

  private static Text value(String text) {
    return styled(text, text.contains("<redacted") ? "yaml-redacted" : "yaml-value");
  }

  private static Text styled(String text, String style) {
    Text t = new Text(text);
    t.getStyleClass().addAll("diff-text", style);
    return t;
  }

  /** A row: the left side, the right side, each with its marker and tint. */
  private static final class RowCell extends ListCell<Row> {
    private final Label leftMark = new Label();
    private final Label rightMark = new Label();
    private final TextFlow leftText = new TextFlow();
    private final TextFlow rightText = new TextFlow();
    private final HBox left = new HBox(leftMark, leftText);
    private final HBox right = new HBox(rightMark, rightText);
    private final GridPane grid = new GridPane();
    private final TextFlow header = new TextFlow();

    RowCell() {
      header.getStyleClass().addAll("diff-side", "header");
      leftMark.getStyleClass().add("diff-marker");
      rightMark.getStyleClass().add("diff-marker");
      left.setAlignment(Pos.CENTER_LEFT);
      right.setAlignment(Pos.CENTER_LEFT);
      ColumnConstraints half = new ColumnConstraints();
      half.setPercentWidth(50);
      grid.getColumnConstraints().addAll(half, half);
      grid.add(left, 0, 0);
      grid.add(right, 1, 0);
      left.setMaxWidth(Double.MAX_VALUE);
      right.setMaxWidth(Double.MAX_VALUE);
      setStyle("-fx-padding: 0;");
    }

    @Override
    protected void updateItem(Row row, boolean empty) {
      super.updateItem(row, empty);
      if (empty || row == null) {
        setGraphic(null);
        return;
      }
      left.getStyleClass().setAll("diff-side");
      right.getStyleClass().setAll("diff-side");
      leftMark.setText(" ");
      rightMark.setText(" ");
      switch (row.kind()) {
        case HEADER -> {}
        case CHANGED -> {
          left.getStyleClass().add("removed");
          right.getStyleClass().add("added");
          leftMark.setText("-");
          rightMark.setText("+");
        }
        case REMOVED -> {
          left.getStyleClass().add("removed");
          leftMark.setText("-");
        }
        case ADDED -> {
          right.getStyleClass().add("added");
          rightMark.setText("+");
        }
        case SAME -> {}
      }
      if (row.kind() == Kind.HEADER) {
        header.getChildren().setAll(styled(row.left(), "yaml-comment"));
        setGraphic(header);
        return;
      }
      leftText.getChildren().setAll(highlight(row.left()));
      rightText.getChildren().setAll(highlight(row.right()));
      setGraphic(grid);
    }
  }
}
