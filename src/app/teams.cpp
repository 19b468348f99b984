#include "app/teams.hpp"

#include <nlohmann/json.hpp>

namespace vg::app {

namespace {

std::string team_json(const store::Team& t) {
    return nlohmann::json{
        {"name", t.name}, {"agents", t.agent_ids}, {"supervisors", t.supervisor_ids}}
        .dump();
}

// The trimmed name, or "" when it is not acceptable.
std::string clean_name(const std::string& name) {
    auto n = core::trim(name);
    if (n.empty() || !core::is_valid_utf8(n) || core::utf8_length(n) > 80) return "";
    for (unsigned char c : n)
        if (c < 0x20 || c == 0x7f) return "";
    return n;
}

}  // namespace

std::vector<store::Team> TeamService::teams(Id org) {
    std::vector<store::Team> out;
    booking_.store().read([&](store::Session& s) { out = s.teams(org); });
    return out;
}

std::optional<store::Team> TeamService::team(Id org, Id id) {
    std::optional<store::Team> out;
    booking_.store().read([&](store::Session& s) { out = s.team(org, id); });
    return out;
}

TeamService::Result TeamService::create(Id org, const std::string& name, const std::string& actor) {
    auto n = clean_name(name);
    if (n.empty()) return {Outcome::invalid, "agenda.team_name_invalid", 0};
    Result r;
    booking_.store().write([&](store::Session& s) {
        auto id = s.insert_team(org, n);
        if (!id) {
            r = {Outcome::invalid, "agenda.team_name_taken", 0};
            return;
        }
        r.team_id = *id;
        s.add_change({0, org, 0, actor, "team", *id, "create", "{}", team_json(*s.team(org, *id))});
    });
    if (r.outcome == Outcome::ok) booking_.configuration_changed();
    return r;
}

TeamService::Result TeamService::update(
    Id org, Id team_id, const std::string& actor,
    const std::function<Result(store::Session&, const store::Team&)>& change) {
    Result r;
    booking_.store().write([&](store::Session& s) {
        auto before = s.team(org, team_id);
        if (!before) {
            r = {Outcome::not_found, "", team_id};
            return;
        }
        r = change(s, *before);
        r.team_id = team_id;
        if (r.outcome != Outcome::ok) return;
        auto after = s.team(org, team_id);
        auto after_json = after ? team_json(*after) : std::string("{}");
        auto before_json = team_json(*before);
        if (after_json == before_json) return;  // nothing changed: nothing journalled
        s.add_change({0, org, 0, actor, "team", team_id, after ? "update" : "delete", before_json,
                      after_json});
    });
    if (r.outcome == Outcome::ok) booking_.configuration_changed();
    return r;
}

TeamService::Result TeamService::rename(Id org, Id team_id, const std::string& name,
                                        const std::string& actor) {
    auto n = clean_name(name);
    if (n.empty()) return {Outcome::invalid, "agenda.team_name_invalid", team_id};
    return update(org, team_id, actor, [&](store::Session& s, const store::Team&) -> Result {
        if (!s.rename_team(org, team_id, n)) return {Outcome::invalid, "agenda.team_name_taken", 0};
        return {};
    });
}

TeamService::Result TeamService::remove(Id org, Id team_id, const std::string& actor) {
    return update(org, team_id, actor, [&](store::Session& s, const store::Team&) -> Result {
        s.delete_team(org, team_id);
        return {};
    });
}

TeamService::Result TeamService::set_agent(Id org, Id team_id, Id agent_id, bool member,
                                           const std::string& actor) {
    return update(org, team_id, actor, [&](store::Session& s, const store::Team&) -> Result {
        if (!s.agent(org, agent_id)) return {Outcome::not_found, "", 0};
        if (member)
            s.add_team_agent(team_id, agent_id);
        else
            s.remove_team_agent(team_id, agent_id);
        return {};
    });
}

TeamService::Result TeamService::set_supervisor(Id org, Id team_id, Id account_id, bool member,
                                                const std::string& actor) {
    return update(org, team_id, actor, [&](store::Session& s, const store::Team&) -> Result {
        if (member) {
            bool may = false;
            for (auto& m : s.memberships(account_id))
                may = may ||
                      (m.organisation_id == org && (m.role == "supervisor" || m.role == "admin"));
            if (!may) return {Outcome::not_found, "", 0};
            s.add_team_supervisor(team_id, account_id);
        } else {
            s.remove_team_supervisor(team_id, account_id);
        }
        return {};
    });
}

}  // namespace vg::app
