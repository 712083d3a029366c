/// Exports records for search tools. (Being built.)
public enum Exporter {}
