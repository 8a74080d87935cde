"""Station exchange: bundles of a station's store and their three-way merge into the college's."""
