// Teams of an organisation (administrators): a team groups agents; its supervisors see
// their agendas (app/staff_scope). Every write is one transaction with its change-journal
// entry (who, before, after) and calls BookingService::configuration_changed().
#pragma once

#include <string>
#include <vector>

#include "app/booking_service.hpp"

namespace vg::app {

class TeamService {
  public:
    explicit TeamService(BookingService& booking) : booking_(booking) {}

    std::vector<store::Team> teams(Id organisation_id);
    std::optional<store::Team> team(Id organisation_id, Id team_id);

    // What a write answers: ok, invalid (error: a catalogue key), or not_found (team, agent
    // or account not of this organisation). Nothing is written unless ok.
    struct Result {
        Outcome outcome = Outcome::ok;
        std::string error;
        Id team_id = 0;
    };
    // Names: 1 to 80 characters after trimming, unique in the organisation.
    Result create(Id organisation_id, const std::string& name, const std::string& actor);
    Result rename(Id organisation_id, Id team_id, const std::string& name,
                  const std::string& actor);
    Result remove(Id organisation_id, Id team_id, const std::string& actor);
    // An agent of the organisation joins / leaves the team.
    Result set_agent(Id organisation_id, Id team_id, Id agent_id, bool member,
                     const std::string& actor);
    // An account holding the supervisor or admin role in the organisation supervises the
    // team / stops supervising it.
    Result set_supervisor(Id organisation_id, Id team_id, Id account_id, bool member,
                          const std::string& actor);

  private:
    // Runs change(session, team) on the organisation's team in a write transaction, then
    // journals the team before and after and drops the memoised configuration.
    Result update(Id organisation_id, Id team_id, const std::string& actor,
                  const std::function<Result(store::Session&, const store::Team&)>& change);
    BookingService& booking_;
};

}  // namespace vg::app
