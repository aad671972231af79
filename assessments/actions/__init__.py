"""Action planning: what a team will do about its results, its targets, the comments on its work, and the
loop that tells at the next assessment whether an action's items moved. Between the core and the read
side: it reads core models and scoring; reports read it; the core never imports it."""
