// Which backups a folder keeps: the newest of each of the last N days and of each of the last
// M weeks (grandfather-father-son). Pure: the instants come from the backups' file names.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace vg::core {

struct BackupRetention {
    int daily = 0;   // the newest backup of each of the last `daily` days that have one
    int weekly = 0;  // the newest backup of each of the last `weekly` ISO weeks that have one
    // No count given: nothing is removed.
    bool prunes() const { return daily > 0 || weekly > 0; }
};

// For each instant (any order), whether its backup is kept. Days and weeks are UTC (weeks
// start on Monday). The newest backup is always kept; when the policy prunes nothing, all are.
std::vector<bool> backups_to_keep(const std::vector<Instant>& taken, BackupRetention policy);

// "visioguichet-20261130T014502Z.db.gz": the name `backup --to FOLDER` gives a backup taken
// at t, and the only names retention ever removes.
std::string backup_file_name(Instant t);
std::optional<Instant> parse_backup_file_name(const std::string& name);

}  // namespace vg::core
