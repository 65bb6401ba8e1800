// lccge sweep FILE [--threads N] [--out DIR] [--data DIR]: sensitivity and uncertainty sweeps over the battery
// chain's scenarios (docs/sweeps.md). The draws run on N threads, and, under `mpirun -np K lccge sweep FILE`, on K
// processes as well (each takes the draws whose index modulo K is its rank). Every finished draw is appended to a
// records file in DIR/.lccge-sweep/ at once, so that the same command, run again after an interruption, resumes
// where it stopped. At the end the first process writes draws.csv (sorted by draw), summary.json and the figures,
// through a staging folder. The results do not depend on the number of threads or processes.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#ifdef LCCGE_HAVE_MPI
#include <mpi.h>
#endif

#include "cli_common.hpp"
#include "commands.hpp"
#include "figures.hpp"
#include "lccge/battery/battery.hpp"
#include "lccge/core/file.hpp"

namespace lccge::app {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Shortest text that reads back to the same double ("nan" for NaN): the records and the CSV are byte-identical
// whoever computed the draw.
std::string Num(double v) {
  if (!std::isfinite(v)) return "nan";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v == 0 ? 0.0 : v);
  return std::string(buf, res.ptr);
}

// A fingerprint of the sweep: its file's bytes and the data folder (a records folder of another sweep is refused).
std::string Fingerprint(const std::string& sweep_file, const std::string& data_dir) {
  std::string text, all;
  ReadFileToString(sweep_file, &text);
  all = text;
  for (const char* f : {"sam.csv", "paths.csv", "emission_factors.csv", "parameters.csv", "nests.csv"}) {
    std::string part;
    ReadFileToString(data_dir + "/" + f, &part);
    all += part;
  }
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : all) h = (h ^ c) * 1099511628211ull;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string RecordLine(const battery::DrawResult& r) {
  nlohmann::ordered_json j;
  j["draw"] = r.draw;
  j["ok"] = r.ok;
  j["message"] = r.message;
  std::vector<std::string> in, out;
  for (double v : r.inputs) in.push_back(Num(v));
  for (double v : r.outputs) out.push_back(Num(v));
  j["inputs"] = in;
  j["outputs"] = out;
  j["years"] = r.years;
  nlohmann::ordered_json paths = nlohmann::ordered_json::array();
  for (const auto& p : r.world_intensity) {
    std::vector<std::string> row;
    for (double v : p) row.push_back(Num(v));
    paths.push_back(row);
  }
  j["world"] = paths;
  return j.dump() + "\n";
}

double Parse(const std::string& s) { return s == "nan" ? std::nan("") : std::stod(s); }

// Reads every complete record of the records folder (a torn last line from an interrupted write is skipped).
// Returns false (message printed) when a records file belongs to another sweep.
bool ReadRecords(const fs::path& dir, const std::string& fingerprint, std::map<int, battery::DrawResult>* records,
                 std::map<int, std::string>* lines) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return true;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".jsonl") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f);
    std::string header;
    if (!std::getline(in, header)) continue;
    if (header != "# lccge sweep " + fingerprint) {
      std::fprintf(stderr,
                   "lccge sweep: %s holds the records of another sweep or data (remove the folder or choose "
                   "another --out)\n",
                   f.string().c_str());
      return false;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t pos = 0;
    while (true) {
      const size_t end = text.find('\n', pos);
      if (end == std::string::npos) break;  // a torn line: not finished
      const std::string line = text.substr(pos, end - pos);
      pos = end + 1;
      try {
        const auto j = nlohmann::json::parse(line);
        battery::DrawResult r;
        r.draw = j.at("draw").get<int>();
        r.ok = j.at("ok").get<bool>();
        r.message = j.at("message").get<std::string>();
        for (const auto& v : j.at("inputs")) r.inputs.push_back(Parse(v.get<std::string>()));
        for (const auto& v : j.at("outputs")) r.outputs.push_back(Parse(v.get<std::string>()));
        r.years = j.at("years").get<std::vector<int>>();
        for (const auto& p : j.at("world")) {
          std::vector<double> row;
          for (const auto& v : p) row.push_back(Parse(v.get<std::string>()));
          r.world_intensity.push_back(row);
        }
        (*lines)[r.draw] = line;
        (*records)[r.draw] = std::move(r);
      } catch (const std::exception&) {
        // A damaged line (an interrupted write): the draw runs again.
      }
    }
  }
  return true;
}

std::vector<Figure> SweepFigures(const battery::SweepSpec& spec, const std::map<int, battery::DrawResult>& records,
                                 const std::vector<scenario::OutputStatistics>& stats) {
  std::vector<Figure> figures;
  std::vector<const battery::DrawResult*> ok;
  for (const auto& [id, r] : records)
    if (r.ok) ok.push_back(&r);
  if (ok.empty()) return figures;
  // Fan chart: the World intensity of every scenario, median and 5-95 % band per year.
  {
    Figure f;
    f.name = "fan_chart";
    std::string text = "year";
    std::vector<std::string> names = {"Baseline"};
    for (const auto& sc : spec.scenarios) names.push_back(sc.name);
    for (const std::string& n : names) text += "," + n + " p5," + n + " p50," + n + " p95";
    text += "\n";
    const std::vector<int>& years = ok.front()->years;
    for (size_t t = 0; t < years.size(); ++t) {
      text += std::to_string(years[t]);
      for (size_t s = 0; s < names.size(); ++s) {
        std::vector<double> v;
        for (const auto* r : ok)
          if (s < r->world_intensity.size() && t < r->world_intensity[s].size())
            v.push_back(1000 * r->world_intensity[s][t]);
        text += "," + Num(scenario::Percentile(v, 5)) + "," + Num(scenario::Percentile(v, 50)) + "," +
                Num(scenario::Percentile(v, 95));
      }
      text += "\n";
    }
    f.data.emplace_back("fan.csv", text);
    std::string s = "set title " +
                    GnuplotQuote("World emission intensity of the battery chain, " + std::to_string(ok.size()) +
                                 " draws: median and 5-95 % band") +
                    "\nset xlabel 'year'\nset ylabel 'g CO2e per USD_{2023} of real chain output'\nset grid\n"
                    "set key top right\nset style fill transparent solid 0.25 noborder\nplot ";
    for (size_t i = 0; i < names.size(); ++i) {
      const std::string c = std::to_string(2 + 3 * i);
      s += (i ? ", " : "") + std::string("'fan.csv' using 1:") + c + ":" + std::to_string(4 + 3 * i) +
           " with filledcurves lc " + std::to_string(i + 1) +
           " notitle, 'fan.csv' using 1:" + std::to_string(3 + 3 * i) + " with lines lw 2 lc " + std::to_string(i + 1) +
           " title " + GnuplotQuote(names[i]);
    }
    f.script = s;
    figures.push_back(std::move(f));
  }
  // Tornado: the inputs' standardised regression coefficients and first-order indices for the first scenario's
  // World change, largest first.
  {
    Figure f;
    f.name = "tornado";
    f.height = 200 + 60 * static_cast<int>(spec.inputs.size());
    const scenario::OutputStatistics& st = stats.front();
    std::vector<size_t> order(spec.inputs.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return std::fabs(st.src[a]) < std::fabs(st.src[b]); });
    std::string text = "input,src,first_order\n";
    for (size_t k : order)
      text += "\"" + spec.inputs[k].name + "\"," + Num(st.src[k]) + "," + Num(st.first_order[k]) + "\n";
    f.data.emplace_back("tornado.csv", text);
    f.script = "set title " +
               GnuplotQuote("Drivers of the 2060 change of " + spec.OutputNames().front() + " (% against Baseline)") +
               "\nset style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\n"
               "set grid ytics\nset xtics rotate by -30\nset key top left\nset xzeroaxis lt -1\n"
               "plot 'tornado.csv' using 2:xtic(1) title 'standardised regression coefficient', '' using 3 title "
               "'first-order index'";
    figures.push_back(std::move(f));
  }
  return figures;
}

}  // namespace

int RunSweep(int argc, char** argv) {
  CLI::App cli{"Sensitivity and uncertainty sweeps over the battery scenarios (docs/sweeps.md)", "lccge sweep"};
  std::string file, out_dir = "sweep_results", data_dir;
  int threads = 0;
  bool no_figures = false, progress_lines = false;
  cli.add_option("FILE", file, "sweep file (YAML)")->required();
  cli.add_option("--threads", threads, "worker threads per process (default: every core)");
  cli.add_option("--out", out_dir, "output directory (default: sweep_results); holds the records to resume from");
  cli.add_option("--data", data_dir, "battery data folder (default: the bundled one)");
  cli.add_flag("--no-figures", no_figures, "skip the figures");
  cli.add_flag("--progress", progress_lines, "a progress line per draw even when standard error is not a terminal");
  int rank = 0, size = 1;
  if (int code = ParseCli(cli, argc, argv); code >= 0) return code;
#ifdef LCCGE_HAVE_MPI
  // MPI only when started by an MPI launcher (mpirun sets these): a plain run never initialises it.
  const bool under_mpi = std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
  if (under_mpi) {
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
  }
  struct Finalizer {
    bool on;
    ~Finalizer() {
      if (on) MPI_Finalize();
    }
  } finalizer{under_mpi};
  auto barrier = [&]() {
    if (under_mpi) MPI_Barrier(MPI_COMM_WORLD);
  };
  // Every process reaches the same verdict on the input (they read the same files), so an error exits on all.
#else
  auto barrier = []() {};
#endif
  if (threads < 0) return ReportError(Status::Invalid("--threads must be >= 0 (0: every core)"));
  if (threads == 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (data_dir.empty()) data_dir = battery::DefaultDataDirectory();
  battery::BatteryData data;
  Diagnostics diagnostics;
  battery::LoadBatteryData(data_dir, &data, &diagnostics);
  if (!diagnostics.ok()) {
    if (rank == 0)
      for (const Status& p : diagnostics.problems()) std::fprintf(stderr, "%s\n", p.ToString().c_str());
    return ReportError(Status::Invalid("problems in the battery data", {data_dir, 0, 0}));
  }
  battery::SweepSpec spec;
  Status s = battery::LoadSweepFile(file, data, &spec);
  if (!s.ok()) return ReportError(s);
  std::vector<std::vector<double>> draws;
  s = battery::SweepDraws(spec, &draws);
  if (!s.ok()) return ReportError(Status(s.code(), s.cause(), {file, 0, 0}));
  const std::string fingerprint = Fingerprint(file, data.dir);
  const fs::path records_dir = fs::path(out_dir) / ".lccge-sweep";
  std::error_code ec;
  fs::create_directories(records_dir, ec);
  if (ec) return ReportError(Status::IoError("cannot create " + records_dir.string() + ": " + ec.message()));
  std::map<int, battery::DrawResult> records;
  std::map<int, std::string> lines;
  if (!ReadRecords(records_dir, fingerprint, &records, &lines)) return kExitInvalid;
  barrier();  // every process has read the records before any writes more
  // This process's draws: those with index modulo the process count equal to its rank, not yet recorded.
  std::vector<int> todo;
  for (int i = 0; i < spec.draws; ++i)
    if (i % size == rank && records.count(i) == 0) todo.push_back(i);
  if (rank == 0)
    std::printf(
        "Sweep %s: %d draws (%s, seed %llu) of %zu inputs over %zu scenario(s) to %d; %zu already done; "
        "%d process(es) x %d thread(s)\n",
        spec.name.c_str(), spec.draws, scenario::ToString(spec.sampler), static_cast<unsigned long long>(spec.seed),
        spec.inputs.size(), spec.scenarios.size(), spec.last_year, records.size(), size, threads);
  std::fflush(stdout);
  const fs::path records_file =
      records_dir / ("records." + std::to_string(::getpid()) + "." + std::to_string(rank) + ".jsonl");
  std::FILE* out = nullptr;
  std::mutex out_mutex;
  std::atomic<size_t> next{0};
  std::atomic<int> done{0}, failed{0};
  std::string first_error;
  const auto start = Clock::now();
  const bool tty = isatty(fileno(stderr)) != 0;
  if (!todo.empty()) {
    out = std::fopen(records_file.c_str(), "w");
    if (out == nullptr) return ReportError(Status::IoError("cannot write " + records_file.string()));
    std::fprintf(out, "# lccge sweep %s\n", fingerprint.c_str());
    std::fflush(out);
  }
  auto worker = [&]() {
    while (true) {
      const size_t k = next.fetch_add(1);
      if (k >= todo.size()) return;
      const int id = todo[k];
      battery::DrawResult r;
      Status st = battery::EvaluateDraw(data, spec, id, draws[static_cast<size_t>(id)], &r);
      std::lock_guard<std::mutex> lock(out_mutex);
      if (!st.ok()) {
        if (first_error.empty()) first_error = st.ToString();
        next = todo.size();
        return;
      }
      const std::string line = RecordLine(r);
      std::fputs(line.c_str(), out);
      std::fflush(out);
      fdatasync(fileno(out));
      if (!r.ok) ++failed;
      const int n = ++done;
      if (rank == 0 && (tty || progress_lines)) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        const double rate = n / std::max(1e-9, elapsed);
        std::fprintf(stderr, "%s  %d/%zu draws (%d failed), %.2f draws/s, about %.0f s left%s", tty ? "\r" : "", n,
                     todo.size(), failed.load(), rate, (todo.size() - n) / std::max(1e-9, rate), tty ? "   " : "\n");
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (out != nullptr) std::fclose(out);
  if (tty && rank == 0 && !todo.empty()) std::fprintf(stderr, "\n");
  if (!first_error.empty()) {
    std::fprintf(stderr, "lccge sweep: %s\n", first_error.c_str());
    return kExitInvalid;
  }
  int computed = done.load();
#ifdef LCCGE_HAVE_MPI
  if (under_mpi) {
    int mine = computed;
    MPI_Reduce(&mine, &computed, 1, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
  }
#endif
  barrier();
  if (rank != 0) return kExitOk;
  // The first process assembles the results from every records file.
  records.clear();
  lines.clear();
  if (!ReadRecords(records_dir, fingerprint, &records, &lines)) return kExitInvalid;
  if (static_cast<int>(records.size()) != spec.draws)
    return ReportError(Status::Failed(std::to_string(spec.draws - static_cast<int>(records.size())) +
                                      " draw(s) have no record (a process stopped early); run the command again"));
  const std::vector<std::string> outputs = spec.OutputNames();
  std::string csv = "draw";
  for (const auto& in : spec.inputs) csv += "," + in.name;
  csv += ",status,message";
  for (const std::string& o : outputs) csv += ",\"" + o + "\"";
  csv += "\n";
  int ok_count = 0;
  for (const auto& [id, r] : records) {
    csv += std::to_string(id);
    for (double v : r.inputs) csv += "," + Num(v);
    std::string message = r.message;
    for (char& c : message)
      if (c == '"' || c == '\n') c = '\'';
    csv += std::string(",") + (r.ok ? "ok" : "failed") + ",\"" + message + "\"";
    for (double v : r.outputs) csv += "," + (r.ok ? Num(v) : std::string());
    csv += "\n";
    ok_count += r.ok ? 1 : 0;
  }
  // Statistics of every output over the successful draws.
  std::vector<std::vector<double>> x;
  for (const auto& [id, r] : records)
    if (r.ok) x.push_back(r.inputs);
  nlohmann::ordered_json summary;
  summary["sweep"] = spec.name;
  summary["draws"] = spec.draws;
  summary["ok"] = ok_count;
  summary["failed"] = spec.draws - ok_count;
  summary["sampler"] = scenario::ToString(spec.sampler);
  summary["seed"] = spec.seed;
  summary["year"] = spec.last_year;
  summary["metric"] = "change of the battery chain's emission intensity against Baseline in the last year, percent";
  std::vector<std::string> input_names;
  for (const auto& in : spec.inputs) input_names.push_back(in.name);
  summary["inputs"] = input_names;
  nlohmann::ordered_json outs = nlohmann::ordered_json::object();
  std::vector<scenario::OutputStatistics> all_stats;
  for (size_t o = 0; o < outputs.size(); ++o) {
    std::vector<double> y;
    std::vector<std::vector<double>> xo;
    for (const auto& [id, r] : records)
      if (r.ok && std::isfinite(r.outputs[o])) {
        y.push_back(r.outputs[o]);
        xo.push_back(r.inputs);
      }
    scenario::OutputStatistics st;
    scenario::ComputeStatistics(xo, y, &st);
    all_stats.push_back(st);
    if (st.count == 0) continue;
    nlohmann::ordered_json j;
    j["count"] = st.count;
    for (const auto& [k, v] : std::vector<std::pair<const char*, double>>{{"mean", st.mean},
                                                                          {"sd", st.sd},
                                                                          {"p5", st.p5},
                                                                          {"p50", st.p50},
                                                                          {"p95", st.p95},
                                                                          {"min", st.min},
                                                                          {"max", st.max},
                                                                          {"r_squared", st.r_squared}})
      j[k] = std::stod(Num(v) == "nan" ? "0" : Num(v));
    nlohmann::ordered_json src = nlohmann::ordered_json::object(), fo = nlohmann::ordered_json::object();
    for (size_t k = 0; k < input_names.size(); ++k) {
      src[input_names[k]] = st.src[k];
      fo[input_names[k]] = st.first_order[k];
    }
    j["standardised_regression_coefficients"] = src;
    j["first_order_indices"] = fo;
    outs[outputs[o]] = j;
  }
  summary["outputs"] = outs;
  // Outputs through a staging folder.
  const fs::path staging = fs::path(out_dir) / (".lccge-sweep-out-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  fs::create_directories(staging, ec);
  std::vector<std::string> staged;
  s = WriteFileAtomically((staging / "draws.csv").string(), csv);
  if (s.ok()) s = WriteFileAtomically((staging / "summary.json").string(), summary.dump(1) + "\n");
  if (!s.ok()) return ReportError(s);
  staged = {(staging / "draws.csv").string(), (staging / "summary.json").string()};
  if (!no_figures && ok_count > 0) {
    if (GnuplotAvailable()) {
      std::vector<std::string> figs;
      s = DrawFigures(SweepFigures(spec, records, all_stats), staging.string(), &figs);
      if (!s.ok()) return ReportError(s);
      staged.insert(staged.end(), figs.begin(), figs.end());
    } else {
      std::fprintf(stderr, "lccge sweep: gnuplot not found: figures skipped\n");
    }
  }
  for (const std::string& f : staged) fs::rename(f, fs::path(out_dir) / fs::path(f).filename(), ec);
  fs::remove_all(staging, ec);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%d draws (%d ok, %d failed); this run computed %d in %.1f s (%.2f s per draw per worker)\n", spec.draws,
              ok_count, spec.draws - ok_count, computed, seconds,
              computed > 0 ? seconds * threads * size / computed : 0.0);
  const scenario::OutputStatistics& head = all_stats.front();
  if (head.count > 0)
    std::printf("%s in %d: mean %.2f %%, 5-95 %% [%.2f, %.2f]\n", outputs.front().c_str(), spec.last_year, head.mean,
                head.p5, head.p95);
  std::printf("wrote %s/{draws.csv,summary.json%s}\n", out_dir.c_str(), staged.size() > 2 ? ",figures" : "");
  if (ok_count == 0) {
    std::fprintf(stderr, "lccge sweep: no draw succeeded (draws.csv gives each reason)\n");
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace lccge::app
