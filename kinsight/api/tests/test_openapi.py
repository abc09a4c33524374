def test_the_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Kinsight"


def test_the_browsable_docs_are_served(client):
    assert client.get("/api/docs").status_code == 200


def test_health_answers_ok(client):
    assert client.get("/api/health").json()["status"] == "ok"
