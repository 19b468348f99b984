#include "web/templates.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vg::web {

namespace fs = std::filesystem;

void Templates::load(const std::string& dir) {
    if (!fs::is_directory(dir)) throw std::runtime_error("templates folder not found: " + dir);
    for (auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file() || e.path().extension() != ".mustache") continue;
        auto rel = fs::relative(e.path(), dir).replace_extension("").generic_string();
        std::ifstream f(e.path());
        std::stringstream ss;
        ss << f.rdbuf();
        sources_[rel] = ss.str();
    }
}

std::string Templates::render(const std::string& name, const mstch::map& context) const {
    auto it = sources_.find(name);
    if (it == sources_.end()) throw std::runtime_error("no template " + name);
    return mstch::render(it->second, context, sources_);
}

}  // namespace vg::web
