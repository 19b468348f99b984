#include "text/templates.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

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
    // "{{> name}}" (spaces allowed) of one template.
    auto direct = [](const std::string& text) {
        std::vector<std::string> out;
        for (auto pos = text.find("{{>"); pos != std::string::npos; pos = text.find("{{>", pos)) {
            auto end = text.find("}}", pos);
            if (end == std::string::npos) break;
            auto name = text.substr(pos + 3, end - pos - 3);
            name.erase(0, name.find_first_not_of(' '));
            name.erase(name.find_last_not_of(' ') + 1);
            out.push_back(name);
            pos = end;
        }
        return out;
    };
    for (auto& [name, text] : sources_) {
        auto& used = partials_[name];
        std::vector<std::string> todo = direct(text);
        while (!todo.empty()) {
            auto p = todo.back();
            todo.pop_back();
            auto it = sources_.find(p);
            if (it == sources_.end() || used.count(p)) continue;
            used[p] = it->second;
            for (auto& q : direct(it->second)) todo.push_back(q);
        }
    }
}

std::string Templates::render(const std::string& name, const mstch::map& context) const {
    auto it = sources_.find(name);
    if (it == sources_.end()) throw std::runtime_error("no template " + name);
    auto used = partials_.find(name);
    static const std::map<std::string, std::string> none;
    return mstch::render(it->second, context, used == partials_.end() ? none : used->second);
}

}  // namespace vg::text
