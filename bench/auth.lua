-- wrk script: GET with the bench agent's API token.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GD_TOKEN")
