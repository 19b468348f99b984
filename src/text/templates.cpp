#include "text/templates.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vg::text {

namespace fs = std::filesystem;

mstch::node json_to_mstch(const nlohmann::json& j) {
    if (j.is_object()) {
        mstch::map m;
        for (auto& [k, v] : j.items()) m.emplace(k, json_to_mstch(v));
        return m;
    }
    if (j.is_array()) {
        mstch::array a;
        for (auto& v : j) a.push_back(json_to_mstch(v));
        return a;
    }
    if (j.is_string()) return j.get<std::string>();
    if (j.is_boolean()) return j.get<bool>();
    if (j.is_number_integer()) return j.get<int>();
    return std::string();
}

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

}  // namespace vg::text
