package bench

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is the unit of /proc/PID/stat's CPU times (USER_HZ), 100 on
// every Linux architecture Husly runs on.
const clockTick = 10 * time.Millisecond

// ProcessCPU is the CPU time (user and system) a process has used, read
// from /proc; 0 where /proc is not there.
func ProcessCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name (field 2) is in parentheses and may hold spaces;
	// the fields after it start with the state (field 3).
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(utime+stime) * clockTick
}

// OwnCPU is the CPU time this process has used.
func OwnCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// DatabaseCPU is the CPU time used so far by PostgreSQL's backend
// processes serving the database db is connected to (on the same
// machine), found through pg_stat_activity; 0 on SQLite. A backend that
// ended between two calls takes its time with it, so the servers' pools
// should outlive the measurement (they do: the servers keep their
// connections).
func DatabaseCPU(ctx context.Context, db *sql.DB) time.Duration {
	if db == nil {
		return 0
	}
	rows, err := db.QueryContext(ctx, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
	if err != nil {
		return 0
	}
	defer rows.Close()
	var total time.Duration
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			total += ProcessCPU(pid)
		}
	}
	if rows.Err() != nil {
		return 0
	}
	return total
}
