#include "store/model.hpp"

#include <nlohmann/json.hpp>

namespace vg::store {

const std::string& LocalText::pick(const std::string& lang) const {
    static const std::string empty;
    if (auto it = by_lang.find(lang); it != by_lang.end() && !it->second.empty()) return it->second;
    if (auto it = by_lang.find("fr"); it != by_lang.end()) return it->second;
    return by_lang.empty() ? empty : by_lang.begin()->second;
}

LocalText LocalText::from_json(const std::string& s) {
    LocalText t;
    auto j = nlohmann::json::parse(s, nullptr, false);
    if (j.is_object()) {
        for (auto& [k, v] : j.items())
            if (v.is_string()) t.by_lang[k] = v.get<std::string>();
    } else if (j.is_string()) {
        t.by_lang["fr"] = j.get<std::string>();
    }
    return t;
}

std::string LocalText::to_json() const {
    return nlohmann::json(by_lang).dump();
}

std::string_view to_string(AppointmentStatus s) {
    switch (s) {
        case AppointmentStatus::booked:
            return "booked";
        case AppointmentStatus::confirmed:
            return "confirmed";
        case AppointmentStatus::cancelled:
            return "cancelled";
        case AppointmentStatus::honoured:
            return "honoured";
        case AppointmentStatus::no_show:
            return "no_show";
    }
    return "booked";
}

std::optional<AppointmentStatus> parse_appointment_status(std::string_view s) {
    for (auto v :
         {AppointmentStatus::booked, AppointmentStatus::confirmed, AppointmentStatus::cancelled,
          AppointmentStatus::honoured, AppointmentStatus::no_show})
        if (to_string(v) == s) return v;
    return std::nullopt;
}

}  // namespace vg::store

namespace vg::store {

bool is_role(std::string_view role) {
    for (auto r : kRoles)
        if (role == r) return true;
    return false;
}

}  // namespace vg::store
