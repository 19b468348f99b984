#include "notify/ics.hpp"

#include <libical/ical.h>

#include <memory>
#include <set>

namespace vg::notify {

namespace {
struct ComponentDeleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

icaltimezone* zone_of(const std::string& name) {
    icaltimezone* zone = icaltimezone_get_builtin_timezone(name.c_str());
    return zone ? zone : icaltimezone_get_utc_timezone();
}

// The zone's VTIMEZONE, once per calendar, unless UTC.
void add_zone(icalcomponent* cal, const std::string& name, std::set<std::string>& added) {
    icaltimezone* zone = zone_of(name);
    if (zone == icaltimezone_get_utc_timezone() || !added.insert(name).second) return;
    // TZID = the IANA name, not libical's "/freeassociation.sourceforge.net/..." prefix.
    icalcomponent* vtz = icalcomponent_new_clone(icaltimezone_get_component(zone));
    icalproperty_set_tzid(icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY), name.c_str());
    icalcomponent_add_component(cal, vtz);
}

icalcomponent* make_event(const CalendarEvent& e) {
    icaltimezone* zone = zone_of(e.time_zone);
    bool local = zone != icaltimezone_get_utc_timezone();
    icalcomponent* ev = icalcomponent_new_vevent();
    icalcomponent_add_property(ev, icalproperty_new_uid(e.uid.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_sequence(e.sequence));
    icalcomponent_add_property(
        ev,
        icalproperty_new_dtstamp(icaltime_current_time_with_zone(icaltimezone_get_utc_timezone())));
    auto at = [&](core::Instant t) {
        auto v = icaltime_from_timet_with_zone(time_t(t), 0, zone);
        v.zone = zone;  // local time of the zone: no trailing Z next to TZID
        return v;
    };
    auto add_time = [&](icalproperty* p) {
        if (local) icalproperty_add_parameter(p, icalparameter_new_tzid(e.time_zone.c_str()));
        icalcomponent_add_property(ev, p);
    };
    add_time(icalproperty_new_dtstart(at(e.start)));
    add_time(icalproperty_new_dtend(at(e.end)));
    icalcomponent_add_property(ev, icalproperty_new_summary(e.summary.c_str()));
    if (!e.location.empty())
        icalcomponent_add_property(ev, icalproperty_new_location(e.location.c_str()));
    if (!e.description.empty())
        icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
    if (!e.url.empty()) icalcomponent_add_property(ev, icalproperty_new_url(e.url.c_str()));
    if (!e.organizer_email.empty())
        icalcomponent_add_property(
            ev, icalproperty_new_organizer(("mailto:" + e.organizer_email).c_str()));
    icalcomponent_add_property(
        ev, icalproperty_new_status(e.cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
    return ev;
}

std::string calendar(const std::vector<const CalendarEvent*>& events, bool cancel,
                     const std::string& name) {
    std::unique_ptr<icalcomponent, ComponentDeleter> cal(icalcomponent_new_vcalendar());
    icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//Visioguichet//FR"));
    icalcomponent_add_property(
        cal.get(), icalproperty_new_method(cancel ? ICAL_METHOD_CANCEL : ICAL_METHOD_PUBLISH));
    if (!name.empty()) {
        icalproperty* p = icalproperty_new_x(name.c_str());
        icalproperty_set_x_name(p, "X-WR-CALNAME");
        icalcomponent_add_property(cal.get(), p);
    }
    std::set<std::string> zones;
    for (auto* e : events) add_zone(cal.get(), e->time_zone, zones);
    for (auto* e : events) icalcomponent_add_component(cal.get(), make_event(*e));
    char* text = icalcomponent_as_ical_string_r(cal.get());
    std::string out(text);
    free(text);
    return out;
}

}  // namespace

std::string make_ics(const CalendarEvent& e) {
    return calendar({&e}, e.cancelled, "");
}

std::string make_ics_calendar(const std::vector<CalendarEvent>& events, const std::string& name) {
    std::vector<const CalendarEvent*> all;
    for (auto& e : events) all.push_back(&e);
    return calendar(all, false, name);
}

}  // namespace vg::notify
