#include "figures.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

#include "lccge/core/file.hpp"

namespace lccge::app {

namespace fs = std::filesystem;

bool GnuplotAvailable() {
  const int rc = std::system("gnuplot --version > /dev/null 2>&1");
  return rc == 0;
}

std::string GnuplotQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

Status DrawFigures(const std::vector<Figure>& figures, const std::string& dir, std::vector<std::string>* written) {
  std::string script = "set encoding utf8\nset datafile separator ','\n";
  std::vector<std::string> temporary;
  for (const Figure& f : figures) {
    for (const auto& [name, contents] : f.data) {
      const std::string path = (fs::path(dir) / name).string();
      Status s = WriteFileAtomically(path, contents);
      if (!s.ok()) return s;
      temporary.push_back(path);
    }
    const std::string size = std::to_string(f.width) + "," + std::to_string(f.height);
    for (const char* format : {"png", "svg"}) {
      script += "reset\nset datafile separator ','\n";
      script += std::string(format) == "png" ? "set terminal pngcairo size " + size + " font 'Sans,11'\n"
                                             : "set terminal svg size " + size + " dynamic font 'Sans,11'\n";
      script += "set output " + GnuplotQuote(f.name + "." + format) + "\n" + f.script + "\nunset output\n";
      written->push_back((fs::path(dir) / (f.name + "." + format)).string());
    }
  }
  const std::string script_path = (fs::path(dir) / "figures.gp").string();
  Status s = WriteFileAtomically(script_path, script);
  if (!s.ok()) return s;
  temporary.push_back(script_path);
  const std::string cmd = "cd '" + dir + "' && gnuplot figures.gp > gnuplot.log 2>&1";
  const int rc = std::system(cmd.c_str());
  temporary.push_back((fs::path(dir) / "gnuplot.log").string());
  std::string log;
  if (rc != 0) ReadFileToString((fs::path(dir) / "gnuplot.log").string(), &log);
  std::error_code ec;
  for (const std::string& t : temporary) fs::remove(t, ec);
  if (rc != 0) return Status::Failed("gnuplot failed: " + log.substr(0, 400));
  return Status::Ok();
}

}  // namespace lccge::app
