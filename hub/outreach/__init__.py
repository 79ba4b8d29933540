"""Jobs that find people (岗位找人): call lists, graded help (困难帮扶) and notifications."""
