#include "app/memberships.hpp"

namespace vg::app {

std::string slug_problem(const std::string& slug) {
    if (slug.empty() || slug.size() > 64) return "1 to 64 characters";
    if (slug.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
        return "only lower-case letters, digits and '-'";
    for (auto word : {"api", "static", "manage", "login", "logout", "console", "account", "admin",
                      "calendar", "healthz", "readyz", "device-test", "favicon.ico"})
        if (slug == word) return "reserved word";
    return "";
}

void link_agent_account(store::Session& s, const store::Agent& agent) {
    if (agent.email.empty()) return;
    auto account = s.account_by_email(agent.email);
    store::Id id;
    if (account) {
        id = account->id;
    } else {
        store::Account a;
        a.email = agent.email;
        a.display_name = agent.display_name;
        id = s.insert_account(a);
    }
    store::Membership m;
    m.account_id = id;
    m.organisation_id = agent.organisation_id;
    m.role = "agent";
    m.agent_id = agent.id;
    s.add_membership(m);
}

}  // namespace vg::app
