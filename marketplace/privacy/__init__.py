"""The AVG rights of every person: download one's data, delete one's account, and retention
rules that remove what is no longer needed."""
