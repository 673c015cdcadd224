"""The fund management committee (기금운용심의위원회): meetings, agendas, recusals, scores, votes, results."""
