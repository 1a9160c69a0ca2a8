package exchange

import "database/sql"

// PoolStats are the statistics of the write pool of the store s runs on.
func PoolStats(s *Server) sql.DBStats { return s.store.PoolStats() }
