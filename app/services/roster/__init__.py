"""Who is photographed: stations, students, roster files read, checked and imported."""
