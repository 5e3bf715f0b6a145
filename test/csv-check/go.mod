module volunteer-campaigns/test/csv-check

go 1.26.0
