// Figures drawn with gnuplot (Debian's gnuplot-nox): the program writes the data and a gnuplot script into a
// folder and runs gnuplot once, which writes each figure as PNG (pngcairo) and SVG. When gnuplot is not installed
// the figures are skipped with a note (every other output is written).
#pragma once

#include <string>
#include <vector>

#include "lccge/core/status.hpp"

namespace lccge::app {

// Whether `gnuplot` can be run.
bool GnuplotAvailable();

// A figure: a gnuplot script body (terminal and output set by the caller per format) and its data files.
struct Figure {
  std::string name;  // file stem: <name>.png and <name>.svg
  // Data files written beside the script (name -> contents); the script refers to them by name.
  std::vector<std::pair<std::string, std::string>> data;
  std::string script;  // plot commands (no 'set terminal' / 'set output')
  int width = 1200, height = 800;
};

// Writes every figure's data and a script into `dir` and runs gnuplot there; the PNG and SVG files land in `dir`.
// `written` receives the figure files. The data and script files are removed afterwards.
Status DrawFigures(const std::vector<Figure>& figures, const std::string& dir, std::vector<std::string>* written);

// A gnuplot string literal (single quotes doubled).
std::string GnuplotQuote(const std::string& s);

}  // namespace lccge::app
