#include "app/staff_scope.hpp"

#include <algorithm>

namespace vg::app {

bool ScopeSubject::has(const std::string& role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::vector<core::Id> visible_agents(store::Session& s, const ScopeSubject& subject) {
    std::vector<core::Id> out;
    auto everyone = [&] {
        for (auto& a : s.agents(subject.organisation_id)) out.push_back(a.id);
    };
    if (subject.has("admin")) {
        everyone();
    } else {
        if (subject.has("supervisor")) {
            bool supervises = false;
            for (auto& t : s.teams(subject.organisation_id)) {
                if (!std::binary_search(t.supervisor_ids.begin(), t.supervisor_ids.end(),
                                        subject.account_id))
                    continue;
                supervises = true;
                out.insert(out.end(), t.agent_ids.begin(), t.agent_ids.end());
            }
            if (!supervises) everyone();
        }
        // The agent's own agent, when it is one of this organisation's.
        if (subject.has("agent") && subject.agent_id &&
            s.agent(subject.organisation_id, *subject.agent_id))
            out.push_back(*subject.agent_id);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<core::Id> visible_agents(store::Store& db, const ScopeSubject& subject) {
    std::vector<core::Id> out;
    db.read([&](store::Session& s) { out = visible_agents(s, subject); });
    return out;
}

bool may_see_agent(store::Session& s, const ScopeSubject& subject, core::Id agent_id) {
    auto v = visible_agents(s, subject);
    return std::binary_search(v.begin(), v.end(), agent_id);
}

}  // namespace vg::app
