// `hfs trace RUN_ID|FILE`: the waterfall and phase timings of a run, from its trace.jsonl
// (a file, a run directory, or OUTPUT_DIR/<run-id>/trace.jsonl) or from the spans table of
// the usage database.
#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "hfs/app/commands.h"
#include "hfs/app/trace_waterfall.h"
#include "hfs/base/try.h"
#include "hfs/store/migrations.h"
#include "hfs/store/open_database.h"
#include "hfs/store/span_store.h"
#include "hfs/trace/jsonl_exporter.h"

namespace hfs::app {
namespace {

namespace fs = std::filesystem;

constexpr char kTraceFileName[] = "trace.jsonl";
// The store migration that creates the spans table.
constexpr int kSpansSchemaVersion = 2;

// The trace file TARGET names, if any: the file itself, DIR/trace.jsonl, or
// OUTPUT_DIR/TARGET/trace.jsonl.
std::optional<fs::path> FindTraceFile(const TraceArgs& args) {
  std::error_code ec;
  const fs::path target(args.target);
  if (fs::is_regular_file(target, ec)) return target;
  for (const fs::path& candidate :
       {target / kTraceFileName, fs::path(args.output_dir) / args.target / kTraceFileName}) {
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

std::string RedactedUrl(const std::string& url) {
  Result<store::DatabaseUrl> parsed = store::ParseDatabaseUrl(url);
  return parsed ? parsed->Redacted() : "(an unreadable database URL)";
}

// A SQLite URL whose file does not exist holds no spans; opening it would create it.
bool MissingSqliteFile(const std::string& url) {
  Result<store::DatabaseUrl> parsed = store::ParseDatabaseUrl(url);
  std::error_code ec;
  return parsed && parsed->dialect == store::Dialect::kSqlite && parsed->path != ":memory:" &&
         !fs::exists(parsed->path, ec);
}

Result<std::vector<trace::SpanData>> LoadFromDatabase(const std::string& url,
                                                      const std::string& target) {
  std::unique_ptr<store::Database> db = HFS_TRY(store::OpenDatabase(url));
  // A database written before the spans table existed holds no spans.
  if (HFS_TRY(store::SchemaVersion(*db)) < kSpansSchemaVersion)
    return std::vector<trace::SpanData>();
  if (std::optional<TraceId> trace_id = TraceIdFromHex(target)) {
    return store::LoadTraceSpans(*db, *trace_id);
  }
  return store::LoadRunSpans(*db, target);
}

struct Loaded {
  std::vector<trace::SpanData> spans;
  std::string source;  // what was read, for messages
};

// Fills `loaded`, or prints why nothing could be read and returns the exit code.
std::optional<ExitCode> Load(const TraceArgs& args, CommandIo& io, Loaded& loaded) {
  if (args.usage_db.url.empty()) {
    if (std::optional<fs::path> file = FindTraceFile(args)) {
      Result<std::vector<trace::SpanData>> spans = trace::ReadJsonlTraces(*file);
      if (!spans) {
        io.err << "Error: cannot read the trace: " << spans.error().message << "\n";
        return ExitCode::kRunFailed;
      }
      loaded = {std::move(*spans), file->string()};
      return std::nullopt;
    }
  }
  const std::string url = ChosenUsageDbUrl(io.env, args.usage_db);
  const std::string where = fmt::format("the spans table of {}", RedactedUrl(url));
  if (MissingSqliteFile(url)) {
    io.err << fmt::format(
        "Error: no trace for '{}': it is not a trace file or run directory, there is no {}, "
        "and there is no usage database at {}.\nPass a trace.jsonl path, a run id with "
        "-o OUTPUT_DIR, or --usage-db URL.\n",
        args.target, (fs::path(args.output_dir) / args.target / kTraceFileName).string(),
        RedactedUrl(url));
    return ExitCode::kUsage;
  }
  Result<std::vector<trace::SpanData>> spans = LoadFromDatabase(url, args.target);
  if (!spans) {
    io.err << "Error: cannot read " << where << ": " << spans.error().message << "\n";
    return ExitCode::kRunFailed;
  }
  if (spans->empty()) {
    io.err << fmt::format("Error: no spans for '{}' in {} (no file {} either).\n", args.target,
                          where,
                          (fs::path(args.output_dir) / args.target / kTraceFileName).string());
    return ExitCode::kUsage;
  }
  loaded = {std::move(*spans), where};
  return std::nullopt;
}

}  // namespace

ExitCode TraceCommand(const TraceArgs& args, CommandIo& io) {
  Loaded loaded;
  if (std::optional<ExitCode> failed = Load(args, io, loaded)) return *failed;
  std::vector<TraceSummary> summaries = SummarizeTraces(loaded.spans);
  if (args.mode == OutputMode::kJson) {
    nlohmann::json traces = nlohmann::json::array();
    for (const TraceSummary& summary : summaries) traces.push_back(TraceToJson(summary));
    io.out << nlohmann::json{{"source", loaded.source}, {"traces", std::move(traces)}}.dump(2)
           << "\n";
    return ExitCode::kOk;
  }
  if (summaries.empty()) {
    io.out << "No spans in " << loaded.source << ".\n";
    return ExitCode::kOk;
  }
  for (size_t i = 0; i < summaries.size(); ++i) {
    if (i > 0) io.out << "\n";
    io.out << RenderTraceText(summaries[i]);
  }
  return ExitCode::kOk;
}

}  // namespace hfs::app
