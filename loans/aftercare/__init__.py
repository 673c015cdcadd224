"""After the loan (사후관리): payments and their allocation, arrears, the bank's repayment file and
interest-subsidy claims, early repayment and rate changes, recovery cases (환수), support history."""
