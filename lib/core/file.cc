#include "lccge/core/file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace lccge {

Status ReadFileToString(const std::string& path, std::string* contents) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::IoError("is a directory, expected a file", {path, 0, 0});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(std::string("cannot open: ") + std::strerror(errno), {path, 0, 0});
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::IoError("read error", {path, 0, 0});
  *contents = buffer.str();
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target(path);
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) return Status::IoError("cannot create directory: " + ec.message(), {path, 0, 0});
  }
  std::random_device rd;
  const fs::path temp = target.string() + ".tmp" + std::to_string(rd());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError(std::string("cannot write: ") + std::strerror(errno), {path, 0, 0});
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) {
      fs::remove(temp, ec);
      return Status::IoError("write error", {path, 0, 0});
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return Status::IoError("cannot rename into place: " + ec.message(), {path, 0, 0});
  }
  return Status::Ok();
}

}  // namespace lccge
