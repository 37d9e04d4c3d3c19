"""The fairness report: selection and scoring rates per self-identified category."""
