"""Monthly progress reports (工作进展填报): the form, reading it back, the levels of completion."""
