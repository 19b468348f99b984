// Mustache templates (templates/<audience>/<name>.mustache), loaded once at start.
#pragma once

#include <map>
#include <mstch/mstch.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace vg::text {

// JSON (message catalogues) as a Mustache context value.
mstch::node json_to_mstch(const nlohmann::json& j);

class Templates {
  public:
    // Loads every *.mustache below dir; names are "citizen/slots" etc.
    void load(const std::string& dir);
    // Renders a template; every loaded template is available as a partial by its name.
    std::string render(const std::string& name, const mstch::map& context) const;
    bool has(const std::string& name) const { return sources_.count(name) > 0; }

  private:
    std::map<std::string, std::string> sources_;
    // The partials each template uses, directly or through other partials: mstch parses
    // every partial it is given at each render, so each render gets only its own (measured:
    // the console's week agenda spent most of its time parsing all 50 templates, twice).
    std::map<std::string, std::map<std::string, std::string>> partials_;
};

}  // namespace vg::text
